"""Japanese sentences for the suggest app's audit action codes."""

LABELS = {
    "suggest.model.trained": "相談内容の候補のモデルを記録から作り直しました",
    "suggest.model.removed": "学習できる記録がないため、相談内容の候補のモデルを削除しました",
}
