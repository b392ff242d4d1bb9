# The fixture's own codes, German.
seminar_full = Dieses Seminar ist ausgebucht.
