"""What the staff API and the staff pages show of a record: one presenter module per domain,
pure (no database writes, no audit rows: reading is audited by the service that reads)."""
