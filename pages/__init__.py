"""Streamlit pages of the Xiafang app (routed by ``app.py`` with ``st.navigation``)."""
