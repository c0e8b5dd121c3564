/*
 * model.S -- embeds tamis's language-ID model (model.bin, written by
 * `make model`) in the library, so nothing is read at run time:
 *   const unsigned char tms_lid_model_data[]; const size_t tms_lid_model_size;
 * The path comes from the Makefile (TMS_LID_MODEL_BIN).
 */
    .section .rodata
    .balign 64
    .globl tms_lid_model_data
    .hidden tms_lid_model_data
    .type tms_lid_model_data, @object
tms_lid_model_data:
    .incbin TMS_LID_MODEL_BIN
tms_lid_model_end:
    .size tms_lid_model_data, tms_lid_model_end - tms_lid_model_data
    .byte 0
    .balign 8
    .globl tms_lid_model_size
    .hidden tms_lid_model_size
    .type tms_lid_model_size, @object
tms_lid_model_size:
    .quad tms_lid_model_end - tms_lid_model_data
    .size tms_lid_model_size, 8
    .section .note.GNU-stack,"",@progbits
