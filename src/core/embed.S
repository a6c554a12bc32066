/* The GSO units list, embedded read-only in the program. */
	.section .rodata
	.global mohinh_units_csv
	.global mohinh_units_csv_end
	.balign 16
mohinh_units_csv:
	.incbin UNITS_CSV
mohinh_units_csv_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
