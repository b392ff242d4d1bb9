# The todo service's own codes, Korean.
todo_exists = 이미 있는 할 일입니다.
todo_not_found = 할 일을 찾을 수 없습니다.
