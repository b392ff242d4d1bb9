# The fixture's own codes, Simplified Chinese.
seminar_full = 这个研讨会已满员。
