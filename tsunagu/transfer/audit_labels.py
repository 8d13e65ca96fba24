"""Japanese sentences for the transfer app's audit action codes."""

LABELS = {
    "transfer.imported": "ファイルを取り込みました",
    "transfer.exported": "支援記録をファイルに出力しました",
}
