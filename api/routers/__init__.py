"""HTTP routers, one per resource; each route validates, calls one service, and returns."""
