# The seminar's own codes, English. The ids are the codes of `StoreError`.
email_taken = This email is already registered.
username_taken = This username is taken.
already_participant = You are already a participant.
instructor_required = Only instructors can do this.
role_required = You don't have a profile for this role.
participant_not_accepted = Your participant profile isn't accepted.
already_joined = You already joined this seminar.
dropped_cannot_rejoin = You can't rejoin a seminar you dropped.
seminar_full = This seminar is full.
already_in_charge = You already run a seminar.
not_seminar_instructor = Only this seminar's instructors can do this.
instructor_cannot_drop = Instructors can't drop their seminar.
capacity_below_participants = Capacity is below the current participants.
invalid_credentials = Email or password is wrong.
