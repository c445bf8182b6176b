// The LAIT indicators table, gzip-compressed (written by tools/build_datasets.py), embedded in
// the binary as read-only data. The assembler finds the file through the target's header search
// path (Package.swift). SwiftPM does not see .incbin inputs: after regenerating the .gz, touch
// this file so it is assembled again.
    .section .rodata
    .global iql_indicators_gz
    .balign 16
iql_indicators_gz:
    .incbin "indicators.csv.gz"
iql_indicators_gz_end:
    .balign 8
    .global iql_indicators_gz_size
iql_indicators_gz_size:
    .quad iql_indicators_gz_end - iql_indicators_gz
    .section .note.GNU-stack,"",@progbits
