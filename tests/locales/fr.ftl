# The fixture's own codes, French.
seminar_full = Ce séminaire est complet.
