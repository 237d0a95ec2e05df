"""SQLAlchemy 2 tables: cases (petitioners' personal fields apart), clusters, teams, plans, follow-up, users, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names so that Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention."""

    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    from planner.office.clock import utc_now

    return utc_now()


class ImportBatch(Base):
    """One import of a register file."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    column_mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    rejected: Mapped[list[RejectedRow]] = relationship(back_populates="batch", cascade="all, delete-orphan")


class RejectedRow(Base):
    """A register row that was not imported, kept with its reasons (downloadable)."""

    __tablename__ = "rejected_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict] = mapped_column(JSON, default=dict)  # personal columns are masked before storing
    batch: Mapped[ImportBatch] = relationship(back_populates="rejected")


class CaseRow(Base):
    """A petition case (信访件). No personal fields here: see :class:`PetitionerRow`."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(100), unique=True)
    received_date: Mapped[dt.date] = mapped_column(Date, index=True)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    # "" from the register's column, "inferred" from the text (with reason and confidence), "corrected" by a person.
    category_source: Mapped[str] = mapped_column(String(20), default="", server_default="")
    category_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    category_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Register columns no field takes (备注, 承办人 ...): header -> text, in the register's column order.
    extra_fields: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=dict)
    title: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    reported_persons: Mapped[list] = mapped_column(JSON, default=list)
    reported_units: Mapped[list] = mapped_column(JSON, default=list)
    address_text: Mapped[str] = mapped_column(Text, default="")
    county: Mapped[str] = mapped_column(String(50), default="")
    county_code: Mapped[str] = mapped_column(String(12), default="", index=True)
    town: Mapped[str] = mapped_column(String(50), default="")
    town_code: Mapped[str] = mapped_column(String(12), default="", index=True)
    village: Mapped[str] = mapped_column(String(80), default="")
    village_code: Mapped[str] = mapped_column(String(12), default="")
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    precision: Mapped[str] = mapped_column(String(10), default="none")
    geocode_message: Mapped[str] = mapped_column(Text, default="")
    # Where the point comes from (town_seat, register, corrected, imported, ...) and how far off it may be.
    point_source: Mapped[str] = mapped_column(String(20), default="", server_default="")
    precision_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    petitioner_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    people_affected: Mapped[int] = mapped_column(Integer, default=0)
    needs_site_visit: Mapped[bool] = mapped_column(Boolean, default=True)
    severity: Mapped[int] = mapped_column(Integer, default=3)
    content_hash: Mapped[str] = mapped_column(String(64), default="")  # of the imported row, to detect changes
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    petitioner: Mapped[PetitionerRow | None] = relationship(
        back_populates="case", uselist=False, cascade="all, delete-orphan"
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class PetitionerRow(Base):
    """PERSONAL: the identity of a case's petitioner. Read only through role-checked services."""

    __tablename__ = "petitioners"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    id_number: Mapped[str] = mapped_column(String(30), default="")
    case: Mapped[CaseRow] = relationship(back_populates="petitioner")


class CaseHistory(Base):
    """Who did what to a case and when (status changes, import updates with the previous values)."""

    __tablename__ = "case_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    who: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class ClusterRow(Base):
    """An issue cluster, hotspot or repeat chain; ids are stable across runs."""

    __tablename__ = "clusters"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[str] = mapped_column(String(40), default="")
    systemic: Mapped[bool] = mapped_column(Boolean, default=False)
    key_terms: Mapped[list] = mapped_column(JSON, default=list)
    info: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class ClusterMember(Base):
    """Membership of a case in a cluster."""

    __tablename__ = "cluster_members"
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)


class ClusterDecision(Base):
    """A person's merge / split / detach decision; later runs respect it."""

    __tablename__ = "cluster_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    who: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class TextVectorRow(Base):
    """A letter text's meaning vector (planner.analysis.semantic), kept so that a text is encoded once."""

    __tablename__ = "text_vectors"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # semantic.text_key: model version + text hash
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float16, little-endian


class TeamRow(Base):
    """An inspection team."""

    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    base_name: Mapped[str] = mapped_column(String(200), default="")
    base_lon: Mapped[float] = mapped_column(Float)
    base_lat: Mapped[float] = mapped_column(Float)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    shift_start_min: Mapped[int] = mapped_column(Integer, default=510)
    shift_end_min: Mapped[int] = mapped_column(Integer, default=1050)
    break_earliest_min: Mapped[int | None] = mapped_column(Integer, nullable=True, default=690)
    break_latest_min: Mapped[int | None] = mapped_column(Integer, nullable=True, default=750)
    break_min: Mapped[int] = mapped_column(Integer, default=90)
    available_dates: Mapped[list] = mapped_column(JSON, default=list)
    max_visits_per_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_drive_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    members: Mapped[list[TeamMemberRow]] = relationship(back_populates="team", cascade="all, delete-orphan")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class TeamMemberRow(Base):
    """An officer; hometown, postings and relations drive 回避."""

    __tablename__ = "team_members"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    hometown_county_code: Mapped[str] = mapped_column(String(12), default="")
    hometown_town_code: Mapped[str] = mapped_column(String(12), default="")
    former_postings: Mapped[list] = mapped_column(JSON, default=list)
    relations: Mapped[list] = mapped_column(JSON, default=list)
    team: Mapped[TeamRow] = relationship(back_populates="members")


class PlanRow(Base):
    """A saved plan: its visits, teams and result as JSON (the plan.json contract), plus summary columns."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | issued | in_progress | done
    solver_status: Mapped[str] = mapped_column(String(20), default="")
    objective: Mapped[int] = mapped_column(Integer, default=0)
    runtime_s: Mapped[float] = mapped_column(Float, default=0.0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), nullable=True)
    problem: Mapped[dict] = mapped_column(JSON, default=dict)  # visits, teams, options
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # plan.json
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class PlanCase(Base):
    """Which cases a plan visits, on which team and date (for queries and field officers' views)."""

    __tablename__ = "plan_cases"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    visit_id: Mapped[str] = mapped_column(String(60))
    team_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    visit_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class VisitOutcomeRow(Base):
    """What happened when a case was visited."""

    __tablename__ = "visit_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), nullable=True)
    team_id: Mapped[str] = mapped_column(String(40), default="")
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    result: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    problem_resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    report_true: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    households_visited: Mapped[int] = mapped_column(Integer, default=0)
    leads_collected: Mapped[int] = mapped_column(Integer, default=0)
    problems_solved: Mapped[int] = mapped_column(Integer, default=0)
    time_spent_min: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    visit_type: Mapped[str] = mapped_column(String(20), default="investigation", server_default="investigation")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    put_off_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 改期: the day agreed for the visit
    # 部分属实 (with report_true True): only part of what the letter reported proved so.
    report_partly: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class FeedbackRow(Base):
    """双反馈: feedback to the petitioner or to the local party committee/government."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(20))  # petitioner | government
    feedback_date: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(50), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class ClarificationRow(Base):
    """澄清: a clarification letter issued for a cadre when a report proved untrue."""

    __tablename__ = "clarifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    cadre: Mapped[str] = mapped_column(String(200))
    issued_date: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    document_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    # 已撤回: the visit the letter rested on no longer finds the report untrue (a leader's confirmed correction);
    # the letter stays on record as issued, but no longer counts as a clarification.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    withdrawn_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class RecordHistory(Base):
    """Who changed which fields of a typed record (outcome, feedback, clarification, rectification, plan), when."""

    __tablename__ = "record_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=True, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    who: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)


class SettlementRow(Base):
    """息诉息访: an agreement that closes a long-running case."""

    __tablename__ = "settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agreed_date: Mapped[dt.date] = mapped_column(Date)
    terms: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class RectificationRow(Base):
    """整改: a rectification item with an owner and a deadline."""

    __tablename__ = "rectifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class FollowUpRow(Base):
    """A follow-up task (回访, 整改 check, feedback, clarification), proposed automatically or by hand."""

    __tablename__ = "followups"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(100), default="")
    preferred_team_id: Mapped[str] = mapped_column(String(40), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class UserRow(Base):
    """A local account. Roles: admin 管理员, leader 组长, coordinator 协调员, officer 干部."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    team_ids: Mapped[list] = mapped_column(JSON, default=list)
    can_unmask: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by security.update_user's conditional UPDATE (not an ORM version column: sign-ins must never conflict).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    # A password someone else set (初始密码, a reset, a generated first one): changed at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class BrowserSessionRow(Base):
    """A browser's sign-in, so a reload or a phone's discarded tab keeps it (same 8 h / 30 min idle limits).

    Only a SHA-256 of the cookie's random token is kept; signing out, a password change or deactivation deletes it.
    """

    __tablename__ = "browser_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AuditRow(Base):
    """Audit log: unmasked views and exports, logins, imports, deletions. Never holds personal fields."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50), index=True)
    case_nos: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class SettingRow(Base):
    """Application settings (weights, travel model, tile options) as JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


Index("ix_cases_county_status", CaseRow.county_code, CaseRow.status)
Index("ix_record_history_kind_record", RecordHistory.kind, RecordHistory.record_id)
Index("ix_visit_outcomes_visit_key", VisitOutcomeRow.case_id, VisitOutcomeRow.visit_date, VisitOutcomeRow.team_id)


class PlaceRow(Base):
    """A place of the office gazetteer: imported from a list or GIS file, corrected on the map, or calibrated online."""

    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(12), index=True)  # corrected | imported | tianditu
    county_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    town_code: Mapped[str] = mapped_column(String(9), default="")
    village_code: Mapped[str] = mapped_column(String(12), default="", index=True)
    county: Mapped[str] = mapped_column(String(50), default="")
    town: Mapped[str] = mapped_column(String(50), default="")
    village: Mapped[str] = mapped_column(String(80), default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    precision_km: Mapped[float] = mapped_column(Float, default=1.0)
    boundary_wkt: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(300), default="")  # file name, or who corrected it
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
