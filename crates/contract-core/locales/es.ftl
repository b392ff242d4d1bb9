# Mensajes de contract, español.

## Top-level codes.
malformed_body = El cuerpo de la solicitud no es JSON válido.
bad_request = La solicitud no es válida.
validation_failed = Revisa los campos marcados.
unauthenticated = Vuelve a iniciar sesión.
forbidden = No tienes permiso para hacer esto.
not_found = No encontramos lo que buscas.
method_not_allowed = Esta acción no está disponible aquí.
conflict = Esto entra en conflicto con datos existentes.
payload_too_large = La solicitud es demasiado grande.
uri_too_long = La dirección de la solicitud es demasiado larga.
headers_too_large = La solicitud tiene demasiados encabezados.
unsupported_media_type = Envía el cuerpo de la solicitud en JSON.
rate_limited = Demasiadas solicitudes. Inténtalo más tarde.
internal = Algo salió mal de nuestro lado.
service_unavailable = El servicio está ocupado. Inténtalo pronto.
timeout = La solicitud tardó demasiado.

## Field codes.
required = Obligatorio
null_not_allowed = No puede quedar vacío
blank = No puede estar en blanco
too_short = { $min ->
    [one] Mínimo 1 carácter
   *[other] Mínimo { $min } caracteres
}
too_long = { $max ->
    [one] Máximo 1 carácter
   *[other] Máximo { $max } caracteres
}
not_integer = Debe ser un número entero
not_number = Debe ser un número
not_boolean = Elige sí o no
not_string = Debe ser texto
not_object = Formato no válido
not_array = Debe ser una lista
invalid_time = Usa HH:MM (24 h)
invalid_date = Fecha no válida
invalid_format = Formato no válido
invalid_email = Escribe un correo válido
too_small = Debe ser al menos { $min }
too_large = Debe ser como máximo { $max }
too_few_items = { $min ->
    [one] Añade al menos 1 elemento
   *[other] Añade al menos { $min } elementos
}
too_many_items = { $max ->
    [one] Máximo 1 elemento
   *[other] Máximo { $max } elementos
}
not_one_of = Elige uno de los valores válidos
unknown_field = Campo desconocido
already_exists = Ya está en uso
invalid_value = Valor no válido

## What a code without a message in any catalog gets.
contract-fallback-top = No se pudo completar la solicitud.
contract-fallback-field = Valor no válido
