"""Japanese sentences for the transfer app's audit action codes."""

LABELS = {
    "transfer.imported": "ファイルを取り込みました",
    "transfer.exported": "支援記録をファイルに出力しました",
    "transfer.categories.exported": "分類をファイルに出力しました",
    "transfer.consulter_types.exported": "相談者区分をファイルに出力しました",
    "transfer.directory.exported": "マスタをファイルに出力しました",
}
