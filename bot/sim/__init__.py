"""The simulator channel: a terminal or a web page talks to the bot without any platform."""

CHANNEL = "sim"
