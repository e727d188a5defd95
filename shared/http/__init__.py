"""HTTP pieces both FastAPI services use: the error shape and the health routes."""
