"""One module per notebook template: functions that return exhibits (data, caption, figure), never markup files."""
