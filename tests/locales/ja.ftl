# The fixture's own codes, Japanese.
seminar_full = このセミナーは満員です。
