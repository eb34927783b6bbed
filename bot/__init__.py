"""The chat bot: channel adapters and senders, the conversation, and its workers."""
