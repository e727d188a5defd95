"""The spend platform's stand-in for local runs: company, expense and wallet events on Kafka."""
