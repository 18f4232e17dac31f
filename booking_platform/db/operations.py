"""Migration operations Django lacks, written so ``sqlmigrate`` and the offline Oracle rendering can show them."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class DropFieldIndex(Operation):
    """Drop the single-column index Django made for a field, by the name Django gave it.

    Django's ``AlterField(db_index=False)`` on a foreign key drops and re-adds the constraint (a full
    validation scan under lock) and needs a live connection to find the index; this names it the way the
    schema editor named it, so it renders offline for every backend. Pair it with the ``AlterField`` as
    the state operation of a ``SeparateDatabaseAndState``.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name, self.name = model_name, name

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label, state) -> None:
        """The field's ``db_index`` lives in the model state; the AlterField beside this changes it."""

    def _index(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        return model, schema_editor._create_index_name(model._meta.db_table, [column], suffix="")

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model, index = self._index(app_label, schema_editor, from_state)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.execute(schema_editor._delete_index_sql(model, index))

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model, index = self._index(app_label, schema_editor, to_state)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            field = model._meta.get_field(self.name)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field], name=index))

    def describe(self) -> str:
        return f"Drop the own index of {self.model_name}.{self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"drop_index_{self.model_name.lower()}_{self.name.lower()}"
