/* pngstat.c: is a rendered picture blank? The report tests' eye.
 *
 *   pngstat FILE.png
 *
 * Prints "WIDTH HEIGHT COLOURS INKED": the picture's size, how many distinct
 * RGB colours it has (counted up to 4096), and the share of its pixels, in
 * percent, that are not its most common colour. A blank or single-colour
 * picture has 1 colour and 0% inked. Exit status 0, or 2 when the file is not
 * a readable PNG. Decoding is libpng's.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLOURS 4096

/* Distinct colours seen, with how often, in a small open-addressed table. */
struct census {
    unsigned long rgb[2 * MAX_COLOURS];
    unsigned long count[2 * MAX_COLOURS];
    int used[2 * MAX_COLOURS];
    size_t n;
};

static void count_colour(struct census *c, unsigned long rgb)
{
    size_t slot = (rgb * 2654435761UL) % (2 * MAX_COLOURS);
    while (c->used[slot] && c->rgb[slot] != rgb)
        slot = (slot + 1) % (2 * MAX_COLOURS);
    if (!c->used[slot]) {
        if (c->n >= MAX_COLOURS)
            return;
        c->used[slot] = 1, c->rgb[slot] = rgb, c->n++;
    }
    c->count[slot]++;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pngstat FILE.png\n");
        return 2;
    }
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, argv[1])) {
        fprintf(stderr, "pngstat: %s: %s\n", argv[1], image.message);
        return 2;
    }
    image.format = PNG_FORMAT_RGB; /* alpha composed onto black: transparent is blank too */
    size_t size = PNG_IMAGE_SIZE(image);
    png_bytep pixels = malloc(size);
    struct census *c = calloc(1, sizeof *c);
    if (pixels == NULL || c == NULL ||
        !png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        fprintf(stderr, "pngstat: %s: %s\n", argv[1], pixels && c ? image.message : "no memory");
        png_image_free(&image);
        free(pixels), free(c);
        return 2;
    }
    size_t npixels = (size_t)image.width * image.height;
    for (size_t i = 0; i < npixels; i++)
        count_colour(c, (unsigned long)pixels[3 * i] << 16 | (unsigned long)pixels[3 * i + 1] << 8 |
                            pixels[3 * i + 2]);
    unsigned long most = 0;
    for (size_t i = 0; i < 2 * MAX_COLOURS; i++)
        if (c->count[i] > most)
            most = c->count[i];
    printf("%u %u %zu %.1f\n", image.width, image.height, c->n,
           npixels ? 100.0 * (double)(npixels - most) / (double)npixels : 0.0);
    free(pixels), free(c);
    return 0;
}
