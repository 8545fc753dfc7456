"""Streamlit-only parts of the app: sidebar, map frame, table; ``geo/`` stays free of Streamlit."""
