"""Every model of the app says how the audit log treats it."""

from django.apps import apps

from tsunagu.audit.registry import declarations, exemptions


def test_every_model_is_declared_audited_or_exempt() -> None:
    models = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("tsunagu.")}
    declared, exempt = set(declarations()), set(exemptions())
    assert not declared & exempt, "declared both audited and exempt"
    missing = models - declared - exempt
    assert not missing, f"add to <app>/audit_labels.py AUDITED or UNAUDITED: {sorted(missing)}"
    assert not (declared | exempt) - models, "declarations of models that do not exist"


def test_personal_fields_are_fields_of_their_model() -> None:
    """A misspelt personal field would silently stay unmasked."""
    for label, spec in declarations().items():
        names = {f.name for f in apps.get_model(label)._meta.get_fields()}
        assert spec.personal <= names, (label, spec.personal - names)


def test_labels_name_no_personal_field() -> None:
    for label, spec in declarations().items():
        for name in spec.personal:
            assert f"obj.{name}" not in spec.label, label
