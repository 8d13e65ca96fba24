"""The yearly lists (相談内容の分類 of each consulter type, and 活動種別).

`schemes`: the two kinds of list, one class each; `queries`: reading the lists;
`services`: saving a whole list, starting a year, consulter types; `edits`: the one-entry
changes (rename, add, retire, split, merge), each saved as an edit of the whole list.
"""
