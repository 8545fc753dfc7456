"""Inner Mongolia regional cooperation map: ``streamlit run app.py [-- --layers DIR]``.

The server: Streamlit's, with the map frame's own routes beside it (``ui.server``: the frame,
its files and the map data, all cacheable, and the sign-in cookie), the security headers on
every response (``ui.security``), and everything the first visitor would otherwise wait for
built at start-up. Each visitor's page is ``ui/page.py``.
"""

import streamlit as st

from ui import server

server.layers_or_exit()
app = st.App("ui/page.py", routes=server.routes(), middleware=server.middleware(),
             lifespan=server.lifespan)
