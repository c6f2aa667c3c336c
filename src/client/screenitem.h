/* The statements of a screen file that add an item to the screen, or
 * describe the item just above: field and option, table, column and
 * map, button (docs/screens.md).  Each returns 0, or -1 with the problem
 * recorded in the context. */
#ifndef MADOGUCHI_SCREENITEM_H
#define MADOGUCHI_SCREENITEM_H

#include "screenparse.h"

/* A new item of kind named by the statement's second word (none for
 * text); NULL, with the problem recorded, for a bad or duplicate name. */
struct sf_item *screenitem_add(struct sf_ctx *, struct sf_screen *,
    enum sf_item_kind, const struct lex_line *, const char *kw);
/* field NAME kind=KIND label=TEXT [options] */
int screenitem_field(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);
/* option VALUE TEXT */
int screenitem_option(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);
/* table NAME source=GET:/api/... [options] */
int screenitem_table(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);
/* column KEY TEXT */
int screenitem_column(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);
/* map VALUE TEXT */
int screenitem_map(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);
/* button NAME label=TEXT action */
int screenitem_button(struct sf_ctx *, struct sf_screen *,
    const struct lex_line *);

#endif
