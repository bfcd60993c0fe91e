"""Output formats: each turns records into text and knows nothing about matching."""

FORMATS = ("pretty", "json", "concise", "sarif", "github", "junit")
