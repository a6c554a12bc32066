/* The units lists, embedded read-only in the program: the GSO list of
 * 2025-03, the units valid from 2025-07-01 and the links between them
 * (made by scripts/build-units-2025). */
	.section .rodata
	.global mohinh_units_csv
	.global mohinh_units_csv_end
	.global mohinh_units_2025_csv
	.global mohinh_units_2025_csv_end
	.global mohinh_links_2025_csv
	.global mohinh_links_2025_csv_end
	.balign 16
mohinh_units_csv:
	.incbin UNITS_CSV
mohinh_units_csv_end:
	.byte 0
	.balign 16
mohinh_units_2025_csv:
	.incbin UNITS_2025_CSV
mohinh_units_2025_csv_end:
	.byte 0
	.balign 16
mohinh_links_2025_csv:
	.incbin LINKS_2025_CSV
mohinh_links_2025_csv_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
