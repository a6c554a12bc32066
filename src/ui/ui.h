/* The screens. */
#ifndef MOHINH_UI_H
#define MOHINH_UI_H

/* Opens the screens on the database at path, with the form files of
 * forms_dir; returns an exit code. */
int ui_main(const char *db_path, const char *forms_dir);

#endif
