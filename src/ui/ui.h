/* The screens. */
#ifndef MOHINH_UI_H
#define MOHINH_UI_H

/* Opens the screens on the database at path; returns an exit code. */
int ui_main(const char *db_path);

#endif
