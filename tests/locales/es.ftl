# The fixture's own codes, Spanish.
seminar_full = Este seminario está completo.
