$TAMIS --version
$TAMIS stages
