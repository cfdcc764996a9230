"""``make reliability``: the portal under load and faults, on private servers (see scripts/reliability.sh)."""
