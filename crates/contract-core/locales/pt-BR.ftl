# Mensagens do contract, português do Brasil.

## Top-level codes.
malformed_body = O corpo da requisição não é um JSON válido.
bad_request = A requisição não é válida.
validation_failed = Confira os campos destacados.
unauthenticated = Entre na sua conta de novo.
forbidden = Você não tem permissão para isso.
not_found = Não encontramos o que você pediu.
method_not_allowed = Esta ação não é aceita aqui.
conflict = Isso conflita com dados existentes.
payload_too_large = A requisição é grande demais.
uri_too_long = O endereço da requisição é longo demais.
headers_too_large = A requisição tem cabeçalhos demais.
unsupported_media_type = Envie o corpo da requisição em JSON.
rate_limited = Muitas requisições. Tente mais tarde.
internal = Algo deu errado do nosso lado.
service_unavailable = O serviço está ocupado. Tente em breve.
timeout = A requisição demorou demais.

## Field codes.
required = Obrigatório
null_not_allowed = Não pode ficar vazio
blank = Não pode ficar em branco
too_short = { $min ->
    [one] No mínimo 1 caractere
   *[other] No mínimo { $min } caracteres
}
too_long = { $max ->
    [one] No máximo 1 caractere
   *[other] No máximo { $max } caracteres
}
not_integer = Deve ser um número inteiro
not_number = Deve ser um número
not_boolean = Escolha sim ou não
not_string = Deve ser texto
not_object = Formato inválido
not_array = Deve ser uma lista
invalid_time = Use HH:MM (24h)
invalid_date = Data inválida
invalid_format = Formato inválido
invalid_email = Informe um e-mail válido
too_small = Deve ser no mínimo { $min }
too_large = Deve ser no máximo { $max }
too_few_items = { $min ->
    [one] Adicione ao menos 1 item
   *[other] Adicione ao menos { $min } itens
}
too_many_items = { $max ->
    [one] No máximo 1 item
   *[other] No máximo { $max } itens
}
not_one_of = Escolha um dos valores aceitos
unknown_field = Campo desconhecido
already_exists = Já está em uso
invalid_value = Valor inválido

## What a code without a message in any catalog gets.
contract-fallback-top = Não foi possível concluir a requisição.
contract-fallback-field = Valor inválido
