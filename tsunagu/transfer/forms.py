from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from tsunagu.lib.fiscal import FiscalParseError, parse_fiscal_year
from tsunagu.lib.tabular import TableError, table_format
from tsunagu.reports.closures import INCLUDE_CLOSED_LABEL
from tsunagu.transfer.formats import ENTITY_FORMATS, EXPORT_KINDS, KIND_LABELS, Kind, find_entity
from tsunagu.transfer.services import MAX_UPLOAD_BYTES

ENTITY_CHOICES = [("", "（Excel ではシート名で判断します）")] + [
    (e.slug, e.name) for e in ENTITY_FORMATS
]
FORMAT_CHOICES = [("xlsx", "Excel（.xlsx）"), ("csv", "CSV（UTF-8、BOM付き）")]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="取り込む内容")
    entity = forms.ChoiceField(
        label="マスタの種類",
        choices=ENTITY_CHOICES,
        required=False,
        help_text="マスタを CSV で取り込むときに選びます。Excel では、シートの名前"
        "（圏域・地域社協・活動団体の種別・活動団体・関係機関）で判断します。",
    )
    update = forms.BooleanField(
        label="記録IDが同じ記録は上書きする（支援記録だけ）",
        required=False,
        help_text="チェックしなければ、すでにある記録の行は二重の取り込みとして断ります。",
    )
    include_closed = forms.BooleanField(
        label=INCLUDE_CLOSED_LABEL + "（支援記録だけ）",
        required=False,
        help_text="チェックしなければ、締められた年度の日付の行があるファイルは何も取り込みません。"
        "チェックして取り込んでも公表済みの集計は変わらず、実績報告の画面に違いとして表示されます。",
    )
    file = forms.FileField(
        label="ファイル",
        help_text=f"Excel（.xlsx）か CSV（.csv）。{MAX_UPLOAD_BYTES // (1024 * 1024)}MB まで。",
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, KIND_LABELS[k]) for k in kinds]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{size / 1024 / 1024:.1f}MB）。"
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)}MB までにするか、年度ごとなどに分けてください。"
            )
        try:
            table_format(upload.name or "")
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label="出力する内容",
        choices=[(k, KIND_LABELS[k]) for k in EXPORT_KINDS],
        initial=Kind.RECORDS,
    )
    fy = forms.CharField(
        label="年度",
        required=False,
        max_length=20,
        help_text="「2020」「令和2年度」のように入力します。空欄なら、すべての年度を出力します（マスタと相談者区分には年度はありません）。",
    )
    entity = forms.ChoiceField(
        label="マスタの種類",
        choices=[("", "すべて（Excel のみ。種類ごとにシートを分けます）")]
        + [(e.slug, e.name) for e in ENTITY_FORMATS],
        required=False,
    )
    format = forms.ChoiceField(label="形式", choices=FORMAT_CHOICES)

    def clean_fy(self) -> int | None:
        text = self.cleaned_data["fy"]
        if not text:
            return None
        try:
            return parse_fiscal_year(text)
        except FiscalParseError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == Kind.DIRECTORY
            and data.get("format") == "csv"
            and not data.get("entity")
        ):
            self.add_error("entity", "マスタを CSV で出力するときは、種類を一つ選んでください。")
        if data.get("entity"):
            data["entity"] = find_entity(data["entity"])
        return data
