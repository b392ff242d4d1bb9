# Mensajes de la API de seminarios, español.
email_taken = Este correo ya está registrado.
username_taken = Este nombre de usuario ya existe.
already_participant = Ya eres participante.
instructor_required = Solo los instructores pueden hacer esto.
role_required = No tienes un perfil para este rol.
participant_not_accepted = Tu perfil de participante no está aceptado.
already_joined = Ya te uniste a este seminario.
dropped_cannot_rejoin = No puedes volver a un seminario que dejaste.
seminar_full = Este seminario está lleno.
already_in_charge = Ya diriges un seminario.
not_seminar_instructor = Solo los instructores de este seminario pueden hacerlo.
instructor_cannot_drop = Los instructores no pueden dejar su seminario.
capacity_below_participants = El cupo es menor que los participantes actuales.
invalid_credentials = El correo o la contraseña no son correctos.
