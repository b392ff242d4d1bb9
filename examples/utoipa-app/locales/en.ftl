# The todo service's own codes, English.
todo_exists = This todo already exists.
todo_not_found = No such todo.
