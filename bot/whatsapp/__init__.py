"""WhatsApp Cloud API: the only package that knows the bot talks to WhatsApp."""

CHANNEL = "whatsapp"
