"""Xiafang (下访): field-visit planning for petition work (带信下访) in Zhangzhou."""

__version__ = "0.1.0"
