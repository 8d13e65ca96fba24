"""Japanese sentences for the volunteer centre's audit codes."""

LABELS = {
    "volunteers.volunteer.registered": "ボランティアを登録しました",
    "volunteers.volunteer.updated": "ボランティアの登録内容を変更しました",
    "volunteers.volunteer.exported": "ボランティア登録者の一覧を出力しました",
    "volunteers.insurance.enrolled": "ボランティア保険の加入を登録しました",
    "volunteers.insurance.removed": "ボランティア保険の加入を取り消しました",
    "volunteers.insurance.exported": "ボランティア保険の加入者一覧を出力しました",
    "volunteers.offer.recorded": "寄付・寄贈の申し出を受け付けました",
    "volunteers.offer.updated": "寄付・寄贈の申し出を変更しました",
    "volunteers.request.created": "ボランティア募集を登録しました",
    "volunteers.request.updated": "ボランティア募集を変更しました",
    "volunteers.match.recorded": "ボランティアのマッチングを記録しました",
    "volunteers.match.reviewed": "ボランティアのマッチングを見直しました",
    "volunteers.match.ended": "ボランティアのマッチングを終了しました",
    "volunteers.demo_loaded": "ボランティアセンターのデモデータを読み込みました",
}
