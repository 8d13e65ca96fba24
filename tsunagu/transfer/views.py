from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.models import User
from tsunagu.core.access import can, rule
from tsunagu.core.exporters import download
from tsunagu.records.models import DEMO_BATCH_KIND, ImportBatch
from tsunagu.transfer.exporters import TRANSFERS
from tsunagu.transfer.formats import (
    ACTIVITY_KIND_TYPE,
    CATEGORY_COLUMNS,
    CONSULTER_TYPE_COLUMNS,
    CONSULTER_TYPE_SHAPES,
    ENTITY_FORMATS,
    KIND_LABELS,
    RECORD_COLUMNS,
    RECORD_REQUIRED,
    Kind,
)
from tsunagu.transfer.forms import ExportForm, ImportForm
from tsunagu.transfer.importers.base import ImportRefused
from tsunagu.transfer.services import import_file

IMPORT_KINDS = (
    Kind.DIRECTORY,
    Kind.CATEGORIES,
    Kind.CONSULTER_TYPES,
    Kind.RECORDS,
    Kind.BASELINE,
)


def allowed_kinds(user: User) -> list[str]:
    """The kinds of file the user may import (transfer/rules.py)."""
    return [kind for kind in IMPORT_KINDS if can(user, "transfer.import", kind)]


@rule("transfer.import")
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    kinds = allowed_kinds(user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        initial={"kind": request.GET.get("kind", Kind.RECORDS)},
    )
    refused = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_file(
                by=user,
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                filename=upload.name,
                entity=form.cleaned_data["entity"] or None,
                update=form.cleaned_data["update"],
                include_closed=form.cleaned_data["include_closed"],
            )
        except ImportRefused as error:
            refused = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, result.message)
            return redirect("transfer:index")
    # The history also lists what `tsunagu demo` loaded, under its own name.
    labels = {**KIND_LABELS, DEMO_BATCH_KIND: "デモデータ（tsunagu demo で作成）"}
    recent = [
        (batch, labels.get(batch.kind, batch.kind))
        for batch in ImportBatch.objects.select_related("imported_by").order_by("-imported_at")[:10]
    ]
    return render(
        request,
        "transfer/import.html",
        {
            "form": form,
            "refused": refused,
            "refused_has_sheets": refused is not None and any(e.sheet for e in refused.row_errors),
            "recent": recent,
            "formats": _format_help(kinds),
        },
    )


def _format_help(kinds: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(sheet, columns)]) for each kind the user may import, shown on the page."""
    result = []
    if Kind.DIRECTORY in kinds:
        result.append(
            (KIND_LABELS[Kind.DIRECTORY], [(e.name, "、".join(e.columns)) for e in ENTITY_FORMATS])
        )
    if Kind.CATEGORIES in kinds:
        result.append(
            (
                KIND_LABELS[Kind.CATEGORIES],
                [
                    (
                        "",
                        "、".join(CATEGORY_COLUMNS)
                        + f"（活動種別は相談者区分を「{ACTIVITY_KIND_TYPE}」に）",
                    )
                ],
            )
        )
    if Kind.CONSULTER_TYPES in kinds:
        result.append(
            (
                KIND_LABELS[Kind.CONSULTER_TYPES],
                [
                    (
                        "",
                        "、".join(CONSULTER_TYPE_COLUMNS)
                        + "（集計の形は"
                        + "".join(f"「{shape}」" for shape in CONSULTER_TYPE_SHAPES)
                        + "のどれか。名称で照合し、同じ名称の区分は変更、新しい名称は追加します。"
                        "ファイルにない区分は、そのまま残ります）",
                    )
                ],
            )
        )
    if Kind.BASELINE in kinds:
        result.append(
            (
                KIND_LABELS[Kind.BASELINE],
                [
                    (
                        "",
                        "年度、表、名称、件数（表は相談者区分の名前・関係機関別・活動種別。名称「合計」で区分の合計）",
                    )
                ],
            )
        )
    if Kind.RECORDS in kinds:
        result.append(
            (
                KIND_LABELS[Kind.RECORDS],
                [("", "、".join(RECORD_COLUMNS) + "（必須：" + "、".join(RECORD_REQUIRED) + "）")],
            )
        )
    return result


@rule("transfer.export")
def export_download(request: AuthenticatedRequest) -> HttpResponseBase:
    form = ExportForm(request.GET if "kind" in request.GET else None)
    if form.is_bound and form.is_valid():
        kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
        fiscal_year, entity = form.cleaned_data["fy"], form.cleaned_data["entity"] or None
        if kind in (Kind.DIRECTORY, Kind.CONSULTER_TYPES):
            fiscal_year = None
        return download(request, TRANSFERS[kind], fmt=fmt, fiscal_year=fiscal_year, entity=entity)
    return render(request, "transfer/export.html", {"form": form})
