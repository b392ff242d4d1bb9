# Mensagens do contract, português do Brasil.

## Top-level codes.
malformed_body = Não foi possível ler a solicitação. Atualize o app.
bad_request = A solicitação não é válida.
validation_failed = Confira os campos destacados.
unauthenticated = Entre na sua conta de novo.
forbidden = Você não tem permissão para isso.
not_found = Não encontramos o que você procura.
method_not_allowed = Esta ação não está disponível aqui.
conflict = Isso entra em conflito com dados existentes.
precondition_failed = Isso mudou desde que foi carregado. Recarregue e repita.
precondition_required = Esta alteração precisa da versão alterada (If-Match).
idempotency_key_in_flight = Esta solicitação ainda está em andamento. Repita em breve.
idempotency_key_reused = Esta chave já foi usada em outra solicitação.
payload_too_large = A solicitação é grande demais.
uri_too_long = O endereço da solicitação é longo demais.
headers_too_large = A solicitação tem cabeçalhos demais.
unsupported_media_type = Não foi possível ler a solicitação. Atualize o app.
rate_limited = Muitas solicitações. Tente novamente mais tarde.
internal = Algo deu errado do nosso lado.
service_unavailable = O serviço está indisponível. Tente novamente em instantes.
timeout = A solicitação demorou demais. Tente novamente.

## Field codes.
# `one` covers 0 and 1 in Portuguese: plural variants show the number.

required = Obrigatório
null_not_allowed = Não pode ficar vazio
blank = Não pode ficar vazio
too_short = { $min ->
    [one] No mínimo { $min } caractere
   *[other] No mínimo { $min } caracteres
}
too_long = { $max ->
    [one] No máximo { $max } caractere
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
too_small = { $bound ->
    [exclusive] Maior que { $min }
    [none] Pequeno demais
   *[inclusive] No mínimo { $min }
}
too_large = { $bound ->
    [exclusive] Menor que { $max }
    [none] Grande demais
   *[inclusive] No máximo { $max }
}
too_few_items = { $min ->
    [one] No mínimo { $min } item
   *[other] No mínimo { $min } itens
}
too_many_items = { $max ->
    [one] No máximo { $max } item
   *[other] No máximo { $max } itens
}
not_one_of = Escolha uma opção válida
unknown_field = Campo desconhecido
already_exists = Já está em uso
invalid_cursor = Não é um cursor desta lista
invalid_value = Valor inválido

## What a code without a message in any catalog gets.
contract-fallback-top = Não foi possível concluir a solicitação.
contract-fallback-field = Valor inválido
