/**
 * Registers the Chart.js parts the dashboard uses, once, when the first chart module
 * loads. Importing "chart.js/auto" would pull every controller and scale into the
 * bundle; naming them keeps the rest tree-shaken.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export { Chart };
