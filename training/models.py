# Curricula, training events, attendance and pre/post surveys arrive with the training issue.
