"""The modal screens, one per file (frogmouth style): each is a ``ModalScreen[T]`` that
dismisses with its value (help, session summary, drill summary, card detail, confirm).

Nothing is imported here, so that importing one modal does not load the others.
"""
