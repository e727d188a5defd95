"""Event handlers: plain async functions in type -> handler tables, fed by the faust agents."""
