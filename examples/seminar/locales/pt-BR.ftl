# Mensagens da API de seminários, português do Brasil.
email_taken = Este e-mail já está cadastrado.
username_taken = Este nome de usuário já existe.
already_participant = Você já é participante.
instructor_required = Só instrutores podem fazer isso.
role_required = Você não tem um perfil para esta função.
participant_not_accepted = Seu perfil de participante não foi aceito.
already_joined = Você já entrou neste seminário.
dropped_cannot_rejoin = Não dá para voltar a um seminário que você deixou.
seminar_full = Este seminário está lotado.
already_in_charge = Você já conduz um seminário.
not_seminar_instructor = Só os instrutores deste seminário podem fazer isso.
instructor_cannot_drop = Instrutores não podem deixar o seminário.
capacity_below_participants = A capacidade é menor que os participantes atuais.
invalid_credentials = E-mail ou senha incorretos.
