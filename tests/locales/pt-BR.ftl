# The fixture's own codes, Brazilian Portuguese.
seminar_full = Este seminário está lotado.
