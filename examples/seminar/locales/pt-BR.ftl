# Mensagens da API de seminários, português do Brasil.
email_taken = Este e-mail já está cadastrado.
username_taken = Este nome de usuário já está em uso.
already_participant = Você já tem um perfil de participante.
instructor_required = Só instrutores podem fazer isso.
role_required = Você não tem um perfil para esta função.
participant_not_accepted = Seu perfil de participante ainda não foi aprovado.
already_joined = Você já está inscrito neste seminário.
dropped_cannot_rejoin = Você não pode voltar a um seminário que deixou.
seminar_full = Este seminário está lotado.
already_in_charge = Você já é responsável por um seminário.
not_seminar_instructor = Só os instrutores deste seminário podem fazer isso.
instructor_cannot_drop = Instrutores não podem deixar o próprio seminário.
capacity_below_participants = O número de vagas não pode ser menor que o de inscritos.
invalid_credentials = E-mail ou senha incorretos.
