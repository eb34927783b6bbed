"""Domain rules: free of FastAPI and of any chat platform. Services flush; owners commit."""
