"""A Slack bot that answers questions about Chinese industrial-policy documents from a cited FAQ."""
