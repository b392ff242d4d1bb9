# The fixture's own codes, English.
seminar_full = This seminar is full.
