# Mensajes de la API de seminarios, español neutro (tú).
email_taken = Este correo ya está registrado.
username_taken = Este nombre de usuario ya está en uso.
already_participant = Ya tienes un perfil de participante.
instructor_required = Solo los instructores pueden hacer esto.
role_required = No tienes un perfil para este rol.
participant_not_accepted = Tu perfil de participante aún no está aprobado.
already_joined = Ya formas parte de este seminario.
dropped_cannot_rejoin = No puedes volver a unirte a un seminario tras dejarlo.
seminar_full = Este seminario está completo.
already_in_charge = Ya estás a cargo de un seminario.
not_seminar_instructor = Solo los instructores de este seminario pueden hacerlo.
instructor_cannot_drop = Los instructores no pueden dejar su propio seminario.
capacity_below_participants = No puede haber menos plazas que participantes.
invalid_credentials = El correo o la contraseña no son correctos.
