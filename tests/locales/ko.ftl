# The fixture's own codes, Korean.
seminar_full = 세미나 정원이 찼습니다.
